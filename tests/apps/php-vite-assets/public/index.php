<?php
// The page names its script through Vite's manifest, as Laravel's @vite does:
// the hashed file names change with every build.
$manifest = __DIR__ . '/build/.vite/manifest.json';
$entry = null;
if (is_file($manifest)) {
    $entries = json_decode(file_get_contents($manifest), true);
    $entry = $entries['resources/js/app.js'] ?? null;
}
$script = $entry ? '/build/' . $entry['file'] : null;
$styles = $entry['css'] ?? [];
header('Content-Type: text/html; charset=utf-8');
?>
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>php-vite-assets</title>
<?php foreach ($styles as $css): ?>
<link rel="stylesheet" href="/build/<?= htmlspecialchars($css) ?>">
<?php endforeach; ?>
</head>
<body>
<p><?= htmlspecialchars('hello from php-vite-assets') ?> with <?= $script ? htmlspecialchars($script) : 'no built assets' ?></p>
<?php if ($script): ?>
<script type="module" src="<?= htmlspecialchars($script) ?>"></script>
<?php endif; ?>
</body>
</html>
