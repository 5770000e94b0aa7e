print("feel-verify")
