// Notes kept in SQLite through mattn/go-sqlite3, which compiles SQLite's C
// sources with cgo: the binary links glibc dynamically.
package main

import (
	"database/sql"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"

	_ "github.com/mattn/go-sqlite3"
)

func main() {
	// A writable place for the database file: the image's user may not write
	// to its working directory.
	path := filepath.Join(os.TempDir(), "notes.db")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		log.Fatal(err)
	}
	// Write a row and read it back at start: the C library really works.
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS notes (body TEXT); DELETE FROM notes`); err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO notes (body) VALUES (?)`, greeting); err != nil {
		log.Fatal(err)
	}
	var body, version string
	if err := db.QueryRow(`SELECT body, sqlite_version() FROM notes`).Scan(&body, &version); err != nil {
		log.Fatal(err)
	}
	log.Printf("stored %q in SQLite %s", body, version)

	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s (sqlite %s)\n", body, version)
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
