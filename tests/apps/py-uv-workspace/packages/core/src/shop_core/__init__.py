GREETING = "hello from py-uv-workspace"
