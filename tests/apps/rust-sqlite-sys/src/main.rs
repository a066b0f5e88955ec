//! A tiny HTTP server that keeps its greeting in SQLite: it writes a row at
//! start, reads it back, and answers every request with it.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use rusqlite::Connection;

fn greeting() -> rusqlite::Result<String> {
    let db = Connection::open_in_memory()?;
    db.execute("CREATE TABLE greeting (text TEXT NOT NULL)", ())?;
    db.execute(
        "INSERT INTO greeting (text) VALUES (?1)",
        ["hello from rust-sqlite-sys"],
    )?;
    let text: String = db.query_row("SELECT text FROM greeting", (), |row| row.get(0))?;
    Ok(format!("{text} (sqlite {})\n", rusqlite::version()))
}

fn main() {
    let body = greeting().expect("sqlite");
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
