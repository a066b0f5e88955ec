// Package shared is used by every module of the workspace.
package shared

// Greeting is what the server answers.
func Greeting() string {
	return "hello from go-workspace"
}
