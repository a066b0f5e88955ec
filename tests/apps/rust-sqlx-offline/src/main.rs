//! A tiny HTTP server that keeps its greeting in SQLite through sqlx: at
//! start it creates a table in an in-memory database, writes a row with a
//! compile-time checked query, reads it back, and answers every request.
//!
//! The macros are checked against the query data in .sqlx/ (written by
//! `cargo sqlx prepare` against schema.sql), so building needs no database.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use sqlx::{Connection, SqliteConnection};

async fn greeting() -> Result<String, sqlx::Error> {
    // One connection: each connection to `sqlite::memory:` is its own database.
    let mut db = SqliteConnection::connect("sqlite::memory:").await?;
    sqlx::raw_sql(include_str!("../schema.sql"))
        .execute(&mut db)
        .await?;
    // The greeting is a bound value, not SQL text: editing it leaves the
    // query, and so its saved data in .sqlx/, unchanged.
    let id = sqlx::query!(
        "INSERT INTO greeting (text) VALUES (?)",
        "hello from rust-sqlx-offline"
    )
    .execute(&mut db)
    .await?
    .last_insert_rowid();
    let text = sqlx::query_scalar!("SELECT text FROM greeting WHERE id = ?", id)
        .fetch_one(&mut db)
        .await?;
    let version = sqlx::query_scalar!(r#"SELECT sqlite_version() AS "version!: String""#)
        .fetch_one(&mut db)
        .await?;
    Ok(format!("{text} (sqlite {version})\n"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let body = greeting().await.expect("sqlite");
    let listener = TcpListener::bind("0.0.0.0:8080").expect("bind");
    println!("listening on {}", listener.local_addr().expect("address"));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        // Read the request head; the answer is the same for every path.
        let mut reader = BufReader::new(&stream);
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
            line.clear();
        }
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    }
}
