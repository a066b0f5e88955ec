// The service lives deep in the tree, not under cmd/: dfgen finds it by rule.
package main

import (
	"fmt"
	"log"
	"net/http"

	"example.com/deep/internal/shop"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, shop.Greeting())
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
