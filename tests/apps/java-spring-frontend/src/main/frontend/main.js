const greeting = 'hello from java-spring-frontend assets';
document.getElementById('greeting').textContent = greeting;
fetch('/api/hello')
  .then((r) => r.text())
  .then((t) => { document.getElementById('greeting').textContent += ` / ${t}`; });
