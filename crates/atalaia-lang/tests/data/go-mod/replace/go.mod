module example.com/service

go 1.21

toolchain go1.21.5

require (
	github.com/gorilla/mux v1.8.0
	golang.org/x/net v0.17.0 // indirect
)

require github.com/pkg/errors v0.9.1

replace golang.org/x/net v0.17.0 => golang.org/x/net v0.19.0

exclude github.com/pkg/errors v0.8.0
