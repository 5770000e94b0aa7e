print("feel")
