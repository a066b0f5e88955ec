// A one-off tool next to the server: not what the image runs.
package main

import "fmt"

func main() { fmt.Println("nothing to migrate") }
