// Applies the theme the reader chose (stored by site.js) before the page is drawn, so that a
// dark reader never sees a flash of the light theme. Without a choice, CSS follows the system.
(function () {
  try {
    var theme = window.localStorage.getItem('rulebridge-theme');
    if (theme === 'light' || theme === 'dark') document.documentElement.setAttribute('data-theme', theme);
  } catch (e) {
    // Storage can be unavailable (privacy settings, some file:// contexts): follow the system.
  }
})();
