package main

// What the page says; the e2e rebuild edits this line.
const greeting = "hello from go-chi"
