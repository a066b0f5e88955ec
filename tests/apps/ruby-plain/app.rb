# A minimal HTTP server on Ruby's socket library (Ruby 3 ships no WEBrick).
require "socket"

port = 8080
server = TCPServer.new("0.0.0.0", port)
$stdout.sync = true
puts "listening on #{port}"

trap("TERM") { exit }

loop do
  client = server.accept
  Thread.new(client) do |c|
    request = c.gets.to_s
    # Read and drop the headers.
    while (line = c.gets) && line != "\r\n"; end
    body = request.start_with?("GET / ") ? "hello from ruby-plain\n" : "not found\n"
    status = request.start_with?("GET / ") ? "200 OK" : "404 Not Found"
    c.write "HTTP/1.1 #{status}\r\nContent-Type: text/plain\r\nContent-Length: #{body.bytesize}\r\nConnection: close\r\n\r\n#{body}"
    c.close
  end
end
