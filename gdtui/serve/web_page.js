// gdtui's additions to textual-serve's page (put before </body> by gdtui/serve/_web_page.py).
//
// 1. Keys reach the tutor without a click first: once textual-serve's terminal is connected, its input box
//    gets the focus, so Enter on the course map opens a lesson.
// 2. xterm.js's screen-reader mode: the screen's rows are also kept as text in the page, where NVDA, JAWS,
//    VoiceOver and Orca read them. textual-serve makes its Terminal with fixed options and keeps it to itself
//    (the "terminal" field of an object of its own); the one way in is to catch that assignment: a setter on
//    Object.prototype, in place only until that field is first set (or the page has loaded), which gives
//    the object its own ordinary field and turns the mode on. If a later textual-serve names the field
//    differently the page works as before, without the mode (tests/serve/test_web_page.py would say so).
(function () {
  "use strict";
  var FIELD = "terminal";
  var hooked = !Object.prototype.hasOwnProperty(FIELD);

  function unhook() {
    if (hooked) {
      hooked = false;
      delete Object.prototype[FIELD];
    }
  }

  if (hooked) {
    Object.defineProperty(Object.prototype, FIELD, {
      configurable: true,
      set: function (value) {
        var isTerminal = value && typeof value.loadAddon === "function" && value.options;
        if (isTerminal) {
          unhook();
        }
        Object.defineProperty(this, FIELD, {value: value, writable: true, configurable: true, enumerable: true});
        if (isTerminal) {
          value.options.screenReaderMode = true;
          document.body.dataset.screenReader = "on";
        }
      },
    });
  }

  // Focus the terminal once its websocket is open (textual-serve marks it "-connected"): the page tells the
  // tutor it has the focus only over an open socket, and before that a focus would be lost.
  window.addEventListener("load", function () {
    unhook();
    var tries = 0;
    (function focusTerminal() {
      var input = document.querySelector(".textual-terminal.-connected .xterm-helper-textarea");
      if (input) {
        input.focus();
      } else if (++tries < 1200) {
        setTimeout(focusTerminal, 50);
      }
    })();
  });
})();
