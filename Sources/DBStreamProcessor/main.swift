print("DBStreamProcessor")
