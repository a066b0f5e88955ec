// Package shop holds what the service says.
package shop

// Greeting is the service's answer.
func Greeting() string { return "hello from go-deep-main" }
