print("mull")
