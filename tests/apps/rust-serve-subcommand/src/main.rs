//! A CLI-style server: `shopd serve` runs it, anything else prints usage.
//! It listens on SHOPD_ADDR (loopback by default, as a dev tool would) and
//! reads an optional config file named by `--config`.
use std::io::{Read, Write};
use std::net::TcpListener;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) != Some("serve") {
        eprintln!("usage: shopd serve [--config FILE]");
        std::process::exit(2);
    }
    let mut greeting = String::from("hello from rust-serve-subcommand");
    if let Some(i) = args.iter().position(|a| a == "--config") {
        if let Some(path) = args.get(i + 1) {
            // The config is optional: defaults apply when it is not mounted.
            if let Ok(text) = std::fs::read_to_string(path) {
                for line in text.lines() {
                    if let Some(v) = line.strip_prefix("greeting = ") {
                        greeting = v.trim_matches('"').to_string();
                    }
                }
            }
        }
    }
    let addr = std::env::var("SHOPD_ADDR").unwrap_or_else(|_| "127.0.0.1:7070".to_string());
    let listener = TcpListener::bind(&addr).expect("bind");
    println!("listening on {addr}");
    for stream in listener.incoming() {
        let Ok(mut s) = stream else { continue };
        let mut buf = [0u8; 1024];
        let _ = s.read(&mut buf);
        let body = format!("{greeting}\n");
        let _ = write!(
            s,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
            body.len(),
            body
        );
    }
}
