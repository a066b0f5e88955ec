// A module that still says `go 1.20`: a minimum, so it builds with today's Go.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello from go-old-module")
	})
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
