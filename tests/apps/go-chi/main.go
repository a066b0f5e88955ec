// A small bookshelf service: chi routes and the pure-Go MySQL driver (no cgo).
// The database is opened lazily, so the page answers without a server.
package main

import (
	"database/sql"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	_ "github.com/go-sql-driver/mysql"
)

// Stamped at build time by the Makefile's -ldflags -X (dfgen keeps the stamp
// as the VERSION build arg, default "dev"); "unset" means the stamp was lost.
var version = "unset"

func main() {
	db, err := sql.Open("mysql", "shelf:shelf@tcp(db:3306)/shelf")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	r := chi.NewRouter()
	r.Use(middleware.Logger)
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s (drivers: %s) version %s\n", greeting, strings.Join(sql.Drivers(), ","), version)
	})

	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	log.Fatal(http.ListenAndServe(":"+port, r))
}
