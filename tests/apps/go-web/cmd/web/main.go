// A small site: HTML templates and static files read from disk at runtime
// (no embed), released with goreleaser, listening where HTTP_ADDR says.
package main

import (
	"html/template"
	"log"
	"net/http"
	"os"
)

// Set at build time: -ldflags "-X main.version=..." (see .goreleaser.yaml).
var version = "dev"

func main() {
	pages := template.Must(template.ParseGlob("templates/*.html"))

	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.Dir("static"))))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if err := pages.ExecuteTemplate(w, "index.html", map[string]string{"Version": version}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})

	// Safe on a laptop: only this machine can connect unless HTTP_ADDR says otherwise.
	addr := os.Getenv("HTTP_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8090"
	}
	log.Printf("go-web %s listening on %s", version, addr)
	log.Fatal(http.ListenAndServe(addr, mux))
}
