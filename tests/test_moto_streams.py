"""A stream reader never sees a cancelled transaction's write (vctools/moto_transactions.py, applied by
scripts/moto_server.py).

moto alone applies a TransactWriteItems' writes, then, when a condition fails, swaps in copies of the tables;
an iterator taken just before holds the old shard and reads the cancelled write from it. The local gateway
takes a fresh iterator on every poll, so a reconnect (whose transaction is cancelled by its visit marker)
landing between its GetShardIterator and GetRecords put a count one too high on every page.
"""
import pytest

from vctools.local_stack import Moto


@pytest.fixture(scope="module")
def moto():
    server = Moto()
    yield server
    server.close()


def test_a_cancelled_transaction_leaves_no_record_for_an_iterator_taken_before_it(moto):
    db, streams = moto.dynamodb(), moto.client("dynamodbstreams")
    table = db.create_table(
        TableName="Counts", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})["TableDescription"]
    arn = table["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]

    def count(visit):
        return {"Put": {"TableName": "Counts", "Item": {"id": {"S": f"visit#{visit}"}},
                        "ConditionExpression": "attribute_not_exists(id)"}}, \
               {"Update": {"TableName": "Counts", "Key": {"id": {"S": "visitors"}},
                           "UpdateExpression": "ADD visits :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}}

    db.transact_write_items(TransactItems=list(count("a")))
    first = streams.get_records(ShardIterator=streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"])["Records"]
    last = first[-1]["dynamodb"]["SequenceNumber"]

    # The reader's iterator, taken before a reconnect of the same visit: its transaction is cancelled.
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                                          SequenceNumber=last)["ShardIterator"]
    with pytest.raises(db.exceptions.TransactionCanceledException):
        db.transact_write_items(TransactItems=list(count("a")))
    assert streams.get_records(ShardIterator=iterator)["Records"] == [], "the cancelled write reached the stream"
    stored = db.get_item(TableName="Counts", Key={"id": {"S": "visitors"}}, ConsistentRead=True)["Item"]
    assert stored["visits"] == {"N": "1"}

    # The next real write is read, with the total the table holds.
    db.transact_write_items(TransactItems=list(count("b")))
    records = streams.get_records(ShardIterator=streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard, ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=last)["ShardIterator"])["Records"]
    totals = [r["dynamodb"]["NewImage"]["visits"]["N"] for r in records if r["dynamodb"]["Keys"]["id"]["S"] == "visitors"]
    assert totals == ["2"]
