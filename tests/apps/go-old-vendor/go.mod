module example.com/oldvendor

go 1.13

require example.com/greet v0.0.0

replace example.com/greet => ./greet
