// The listening port comes from an embedded config file dfgen does not read:
// the only port evidence it has is the compose file.
package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
)

//go:embed config.json
var configJSON []byte

type config struct {
	Listen string `json:"listen"`
}

func main() {
	var c config
	if err := json.Unmarshal(configJSON, &c); err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello from go-compose-port")
	})
	log.Fatal(http.ListenAndServe(c.Listen, nil))
}
