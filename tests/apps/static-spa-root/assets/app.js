// A tiny history-API router: every path is rendered by this page.
document.getElementById("app").dataset.route = location.pathname;
