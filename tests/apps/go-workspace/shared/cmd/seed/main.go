// A one-off tool of the shared module: not the server.
package main

import (
	"fmt"

	"example.com/ws/shared"
)

func main() {
	fmt.Println("seed:", shared.Greeting())
}
