// Runs before the stylesheet applies, so a remembered theme never flashes the other one.
(function () {
  // buttons that only a script can serve are hidden without one (app.css): they would do nothing
  document.documentElement.classList.add('js');
  try {
    var theme = localStorage.getItem('theme');
    if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;
  } catch (e) { /* storage blocked: follow the OS */ }
}());
