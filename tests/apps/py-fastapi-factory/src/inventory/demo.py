def main() -> None:
    print("inventory demo: nothing to see here")
