// Package greet is vendored into the app (a local module, replaced).
package greet

// Text is what the app answers.
func Text() string { return "hello from go-old-vendor" }
