package main

import (
	"log"
	"time"
)

func main() {
	for {
		log.Println("working")
		time.Sleep(time.Minute)
	}
}
