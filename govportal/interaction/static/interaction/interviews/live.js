/* 在线访谈 live page: polls the JSON feed and appends new question-answer pairs.
   Without JavaScript the page still works: the "刷新查看最新问答" link reloads it.
   Text from the feed is inserted with textContent only, never as HTML. */
(function () {
    "use strict";
    var section = document.querySelector("[data-live-url]");
    if (!section || !window.fetch) { return; }
    var url = section.getAttribute("data-live-url");
    var after = parseInt(section.getAttribute("data-after"), 10) || 0;
    var delay = (parseInt(section.getAttribute("data-poll-seconds"), 10) || 5) * 1000;
    var list = section.querySelector(".qa-list");
    var status = section.querySelector(".live-status");
    var failures = 0;

    function paragraph(className, who, time, text) {
        var p = document.createElement("p");
        p.className = className;
        var span = document.createElement("span");
        span.className = "qa-who";
        span.textContent = who;
        p.appendChild(span);
        if (time) {
            p.appendChild(document.createTextNode(" "));
            var t = document.createElement("time");
            t.textContent = time;
            p.appendChild(t);
        }
        p.appendChild(document.createTextNode("：" + text));
        return p;
    }

    function append(pair) {
        if (document.getElementById("qa-" + pair.sequence)) { return; }
        var li = document.createElement("li");
        li.className = "qa-pair qa-new";
        li.id = "qa-" + pair.sequence;
        li.setAttribute("data-sequence", pair.sequence);
        li.appendChild(paragraph("qa-question", pair.asker, "", pair.question));
        li.appendChild(paragraph("qa-answer", pair.answerer, pair.answered_at, pair.answer));
        list.appendChild(li);
        after = Math.max(after, pair.sequence);
    }

    function say(text) {
        if (status) { status.textContent = text; }
    }

    function poll() {
        fetch(url + "?after=" + after, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
            .then(function (response) {
                if (!response.ok) { throw new Error("HTTP " + response.status); }
                return response.json();
            })
            .then(function (data) {
                failures = 0;
                var empty = section.querySelector(".qa-empty");
                if (data.pairs.length && empty) { empty.remove(); }
                data.pairs.forEach(append);
                if (data.pairs.length) {
                    say("正在直播，新增 " + data.pairs.length + " 条问答（共 " + list.children.length + " 条）。");
                }
                if (data.state !== "live") {
                    say("访谈已结束，以上为文字实录。");
                    return;
                }
                delay = (data.poll_seconds || 5) * 1000;
                window.setTimeout(poll, delay);
            })
            .catch(function () {
                failures += 1;
                say("暂时无法获取最新问答，正在重试。也可以刷新页面查看。");
                window.setTimeout(poll, Math.min(60000, delay * Math.pow(2, failures)));
            });
    }

    window.setTimeout(poll, delay);
}());
