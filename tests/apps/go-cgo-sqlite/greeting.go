package main

// The row written at start; the e2e rebuild edits this line.
const greeting = "hello from go-cgo-sqlite"
