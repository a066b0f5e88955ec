// Package greet builds the service's replies.
package greet

// Message is what the API answers on /.
func Message() string {
	return "hello from go-cmd api"
}
