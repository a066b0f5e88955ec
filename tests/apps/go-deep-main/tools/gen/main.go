// A code generator run by developers: a main package that is not the app.
package main

import "fmt"

func main() { fmt.Println("generated") }
