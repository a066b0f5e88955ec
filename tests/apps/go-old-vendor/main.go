// A `go 1.13` module with vendor/: built with -mod=vendor by today's Go.
package main

import (
	"fmt"
	"log"
	"net/http"

	"example.com/greet"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, greet.Text())
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
