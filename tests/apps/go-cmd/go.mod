module example.com/shop

go 1.25.0

toolchain go1.26.1
