# free_port: a TCP port on 127.0.0.1 nobody listens on now (the kernel picks it), so test
# scripts never collide with a node someone left running on a fixed port.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
