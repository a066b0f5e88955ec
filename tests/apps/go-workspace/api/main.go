// The workspace's server: chi from the module proxy, the greeting from the
// shared module next to it (resolved through go.work, not the proxy).
package main

import (
	"log"
	"net/http"
	"os"

	"example.com/ws/shared"
	"github.com/go-chi/chi/v5"
)

func main() {
	r := chi.NewRouter()
	r.Get("/", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(shared.Greeting() + "\n"))
	})
	port := os.Getenv("PORT")
	if port == "" {
		port = "8090"
	}
	log.Printf("listening on :%s", port)
	log.Fatal(http.ListenAndServe(":"+port, r))
}
