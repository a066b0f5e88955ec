package main

import (
	"fmt"
	"log"
	"net/http"

	"example.com/shop/internal/greet"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, greet.Message())
	})
	srv := &http.Server{Addr: ":8081", Handler: mux}
	log.Fatal(srv.ListenAndServe())
}
