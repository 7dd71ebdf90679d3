print("DBUpdater")
