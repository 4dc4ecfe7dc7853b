// 内容检查 in the page editor: post the form as it stands and show the marked findings in a
// dialog (review_findings.py). Without this script the menu link opens the saved draft's report.
(function () {
  "use strict";

  function dialog() {
    let element = document.querySelector("dialog.govportal-findings-dialog");
    if (!element) {
      element = document.createElement("dialog");
      element.className = "govportal-findings-dialog";
      element.setAttribute("aria-label", "内容检查");
      document.body.appendChild(element);
    }
    return element;
  }

  function show(element, html) {
    const close = document.createElement("button");
    close.type = "button";
    close.className = "button button-secondary";
    close.textContent = "关闭";
    close.addEventListener("click", function () { element.close(); });
    const body = document.createElement("div");
    body.innerHTML = html; // rendered by the server with every piece of content escaped
    element.replaceChildren(body, close);
    if (!element.open) {
      element.showModal();
    }
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest("a.govportal-findings-button");
    const form = link && link.closest("form");
    if (!form || typeof HTMLDialogElement === "undefined") {
      return;
    }
    event.preventDefault();
    const element = dialog();
    show(element, "<p>正在检查……</p>");
    const data = new FormData(form);
    fetch(link.href, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) { show(element, html); })
      .catch(function () {
        show(element, "<p>内容检查未能完成，请保存草稿后重试。</p>");
      });
  });
})();
