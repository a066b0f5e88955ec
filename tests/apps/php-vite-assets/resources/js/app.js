import '../css/app.css';

document.body.dataset.assets = 'built by vite';
