// Asks the Python API for its greeting and shows it.
const p = document.getElementById("greeting");
p.textContent = "hello from py-fastapi-frontend assets";
fetch("/api/hello")
  .then((r) => r.json())
  .then((j) => {
    p.textContent = j.message;
  });
