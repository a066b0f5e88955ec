module example.com/composeport

go 1.23
