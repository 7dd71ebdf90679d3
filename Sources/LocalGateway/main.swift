print("LocalGateway")
