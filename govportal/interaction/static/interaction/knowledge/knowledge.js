// 智能问答: show the answer in place without leaving the page. Without this script the forms
// are plain GET forms to /knowledge/ask/ and work the same.
(function () {
    "use strict";

    function enhance(form) {
        var slot = form.parentNode.querySelector("[data-kb-answer]");
        if (!slot || !window.fetch) {
            return;
        }
        form.addEventListener("submit", function (event) {
            var input = form.querySelector("input[name=q]");
            if (!input || !input.value.trim()) {
                return; // let the browser (and the server) say the question is empty
            }
            event.preventDefault();
            var url = form.action + "?fragment=1&q=" + encodeURIComponent(input.value);
            var button = form.querySelector("button");
            if (button) {
                button.disabled = true;
            }
            slot.setAttribute("aria-busy", "true");
            fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
                .then(function (response) {
                    return response.text();
                })
                .then(function (html) {
                    // The fragment is rendered by the server with every stored text escaped.
                    slot.innerHTML = html;
                })
                .catch(function () {
                    form.submit();
                })
                .then(function () {
                    slot.removeAttribute("aria-busy");
                    if (button) {
                        button.disabled = false;
                    }
                });
        });
    }

    document.querySelectorAll("form[data-kb-form]").forEach(enhance);
})();
