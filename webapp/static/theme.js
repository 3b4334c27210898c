// Runs before the stylesheet applies, so a remembered theme never flashes the other one.
(function () {
  try {
    var theme = localStorage.getItem('theme');
    if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;
  } catch (e) { /* storage blocked: follow the OS */ }
}());
