"""moto's TransactWriteItems rolled back in place, and in O(1): `scripts/moto_server.py` applies the patch before
it serves (every local moto: the tests, `make dev`, the load storms), tests/test_load.py checks it against
unpatched moto in process, and tests/test_moto_streams.py checks that a stream reader never sees a cancelled
transaction's write.
"""


def patch_moto_transactions():
    """Makes moto's TransactWriteItems O(1) instead of O(table), with the same rollback.

    moto 5 backs up every table a transaction touches with `copy.deepcopy` (items and the whole stream
    shard) before it starts, and swaps the copy back in on failure: each connect costs time and memory
    in proportion to everything written so far (measured: 40 ms and 0.4 GB at 250 visits, 360 ms and
    4.6 GB at 1,000). A 1,000-client storm cannot run on that. Here the backup holds only the items the
    transaction names (deep copies) and the stream shard's length; on any failure those items are put
    back and the shard cut back to its length, in place. That is what the table copy restored, for
    everything the transaction could have changed. In place matters for streams too: a reader's iterator holds
    the shard object, and with moto's swap an iterator taken just before a cancelled transaction read the
    cancelled write from the swapped-out shard (a count one too high on the pages, and the next real record,
    which reuses its sequence number, skipped).
    """
    import copy as copying

    from moto.dynamodb import models
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    original = models.DynamoDBBackend.transact_write_items

    class NoTableCopy:
        """`copy` as moto's transaction code sees it: tables are not copied (we back up what it touches)."""
        copy = staticmethod(copying.copy)

        @staticmethod
        def deepcopy(value, memo=None):
            return value if isinstance(value, Table) else copying.deepcopy(value, memo)

    def backup(backend, transact_items):
        saved = []
        for entry in transact_items:
            op = next(iter(entry.values()))
            table = backend.tables.get(op.get("TableName"))
            if table is None:
                continue
            key = op.get("Key") or op["Item"]
            hash_key = DynamoType(key[table.hash_key_attr])
            range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
            item = table.items.get(hash_key) if range_key is None else table.items.get(hash_key, {}).get(range_key)
            shard = len(table.stream_shard.items) if table.stream_shard is not None else None
            saved.append((table, hash_key, range_key, copying.deepcopy(item), shard))
        return saved

    def restore(saved):
        for table, hash_key, range_key, item, shard in reversed(saved):
            items = table.items if range_key is None else table.items.setdefault(hash_key, {})
            slot = hash_key if range_key is None else range_key
            if item is None:
                items.pop(slot, None)
            else:
                items[slot] = item
            if shard is not None:
                del table.stream_shard.items[shard:]

    def transact_write_items(self, transact_items):
        try:
            saved = backup(self, transact_items)
        except (KeyError, TypeError, AttributeError, StopIteration):
            return original(self, transact_items)  # malformed: moto's own checks answer it
        models.copy = NoTableCopy
        try:
            return original(self, transact_items)
        except Exception:
            restore(saved)
            raise
        finally:
            models.copy = copying

    models.DynamoDBBackend.transact_write_items = transact_write_items
