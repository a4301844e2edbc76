// Behaviour every page shares: the theme toggle and the copy buttons. Both are hidden in the
// HTML and shown here, so that a reader without JavaScript never meets a dead button.
(function () {
  'use strict';

  var STORAGE_KEY = 'rulebridge-theme';
  var root = document.documentElement;

  function systemTheme() {
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }

  function currentTheme() {
    var chosen = root.getAttribute('data-theme');
    return chosen === 'light' || chosen === 'dark' ? chosen : systemTheme();
  }

  function setupThemeToggle() {
    var button = document.querySelector('.theme-toggle');
    if (!button) return;
    function label() {
      var next = currentTheme() === 'dark' ? 'light' : 'dark';
      button.textContent = next === 'dark' ? 'Dark theme' : 'Light theme';
      button.setAttribute('aria-label', 'Switch to the ' + next + ' theme');
    }
    button.addEventListener('click', function () {
      var next = currentTheme() === 'dark' ? 'light' : 'dark';
      root.setAttribute('data-theme', next);
      try {
        window.localStorage.setItem(STORAGE_KEY, next);
      } catch (e) {
        // Not remembered, but still applied to this page.
      }
      label();
    });
    if (window.matchMedia) {
      var query = window.matchMedia('(prefers-color-scheme: dark)');
      if (query.addEventListener) query.addEventListener('change', label);
    }
    label();
    button.hidden = false;
  }

  // The clipboard API needs a secure context (https, localhost); pages opened from file:// or
  // served over plain http fall back to selecting the text and the older copy command.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand('copy');
      } catch (e) {
        ok = false;
      }
      document.body.removeChild(area);
      if (ok) resolve();
      else reject(new Error('copy failed'));
    });
  }

  function setupCopyButtons() {
    var buttons = document.querySelectorAll('button.copy[data-copy]');
    Array.prototype.forEach.call(buttons, function (button) {
      var target = document.getElementById(button.getAttribute('data-copy'));
      if (!target) return;
      button.addEventListener('click', function () {
        copyText(target.textContent || '').then(
          function () {
            flash(button, 'Copied', 'done');
          },
          function () {
            // Leave the query selected so that the reader can copy it by hand.
            var range = document.createRange();
            range.selectNodeContents(target);
            var selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            flash(button, 'Press Ctrl+C', 'failed');
          }
        );
      });
      button.hidden = false;
    });
  }

  var announcer;
  // Screen readers hear the outcome through one polite live region.
  function announce(text) {
    if (!announcer) {
      announcer = document.createElement('p');
      announcer.className = 'visually-hidden';
      announcer.setAttribute('role', 'status');
      document.body.appendChild(announcer);
    }
    announcer.textContent = text;
  }

  function flash(button, text, state) {
    announce(state === 'done' ? 'Query copied to the clipboard' : 'Copy failed: the query is selected, press Ctrl+C');
    button.textContent = text;
    button.setAttribute('data-state', state);
    window.setTimeout(function () {
      button.textContent = 'Copy';
      button.removeAttribute('data-state');
    }, 1600);
  }

  setupThemeToggle();
  setupCopyButtons();
})();
