print("EchoFunction")
