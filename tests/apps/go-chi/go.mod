module example.com/bookshelf

go 1.24

require (
	github.com/go-chi/chi/v5 v5.2.1
	github.com/go-sql-driver/mysql v1.9.2
)

require filippo.io/edwards25519 v1.1.0 // indirect
