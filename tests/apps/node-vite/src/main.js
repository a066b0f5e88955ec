document.querySelector("#app").textContent = `built at ${new Date().toISOString()}`;
