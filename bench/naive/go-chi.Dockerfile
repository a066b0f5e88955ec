# The way a beginner writes it: one stage on the full toolchain image.
FROM golang:1.24
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/bookshelf .
CMD ["bookshelf"]
