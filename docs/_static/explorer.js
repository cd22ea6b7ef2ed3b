/* The home page's explorer: what a Keras recurrent layer returns for the reader's choice.
   Every answer comes from the table the build computed by running Keras (embedded in the
   page as JSON); this script only fills in the reader's sizes. No library, no request. */
(function () {
  "use strict";

  var root = document.querySelector(".lstm-explorer");
  if (!root) {
    return;
  }
  var data = JSON.parse(root.querySelector(".lstm-explorer-data").textContent);
  var form = root.querySelector(".lstm-explorer-form");
  var result = root.querySelector(".lstm-explorer-result");
  var summary = root.querySelector(".lstm-explorer-summary");
  var details = root.querySelector(".lstm-explorer-details");
  var every = root.querySelector(".lstm-explorer-every");
  var MAX = 100000;
  var TERM = /^(?:([0-9]+)\*)?([a-z]+)$|^([0-9]+)$/;

  function field(name) {
    return form.elements.namedItem(name);
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) {
      node.textContent = text;
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  function sizeNames(layer) {
    return data.sizes[layer];
  }

  /* One axis of a template ("batch", "2*units", "3") at the reader's sizes. */
  function axis(term, sizes) {
    var match = TERM.exec(term);
    if (!match) {
      throw new Error("not a shape term: " + term);
    }
    if (match[3] !== undefined) {
      return Number(match[3]);
    }
    return Number(match[1] || 1) * sizes[match[2]];
  }

  function shapeText(dims) {
    return "(" + dims.join(", ") + ")";
  }

  function fill(text, sizes) {
    return text.replace(/\{([a-z]+)\}/g, function (_, name) {
      return String(sizes[name]);
    });
  }

  function choice() {
    var layer = field("layer").value;
    return {
      layer: layer,
      sequences: field("return_sequences").checked,
      state: field("return_state").checked,
      bidirectional: field("bidirectional").checked,
      merge: field("merge_mode").value
    };
  }

  function key(c) {
    return [
      c.layer,
      c.sequences ? 1 : 0,
      c.state ? 1 : 0,
      c.bidirectional ? c.merge : "-"
    ].join("|");
  }

  /* The sizes the layer needs, or the name of the first one that is not a whole number. */
  function readSizes(layer) {
    var sizes = {};
    var names = sizeNames(layer);
    for (var i = 0; i < names.length; i++) {
      var text = field(names[i]).value.trim();
      var value = Number(text);
      if (!/^[0-9]+$/.test(text) || value < 1 || value > MAX) {
        return { bad: names[i] };
      }
      sizes[names[i]] = value;
    }
    return { sizes: sizes };
  }

  /* Show the size fields (and the ConvLSTM2D note) of the chosen layer only. */
  function showFields(c) {
    var needed = sizeNames(c.layer);
    root.querySelectorAll("[data-size]").forEach(function (node) {
      var shown = needed.indexOf(node.getAttribute("data-size")) >= 0;
      node.hidden = !shown;
      var input = node.querySelector("input");
      if (input) {
        input.disabled = !shown;
      }
    });
    field("merge_mode").disabled = !c.bidirectional;
  }

  function countWords(n, thing) {
    return n + " " + thing + (n === 1 ? "" : "s");
  }

  function returnsText(kind, n, what) {
    if (kind === "tensor" || kind === "ndarray") {
      return "one " + what;
    }
    return "a " + kind + " of " + countWords(n, what);
  }

  function codeBlock(lines) {
    var pre = el("pre", undefined, "lstm-explorer-code");
    pre.appendChild(el("code", lines.join("\n")));
    return pre;
  }

  /* The live region changes only when its words do: a screen reader says each once. */
  function announce(text) {
    if (summary.textContent !== text) {
      summary.textContent = text;
    }
  }

  function render() {
    var c = choice();
    showFields(c);
    writeUrl(c);
    var read = readSizes(c.layer);
    details.textContent = "";
    if (read.bad) {
      announce(
        read.bad + " must be a whole number from 1 to " + MAX + ": nothing to show yet."
      );
      return;
    }
    var sizes = read.sizes;
    var entry = data.combinations[key(c)];
    var outputs = entry.outputs;
    var names = outputs.map(function (o) {
      return o[0];
    });
    var code = fill(entry.code, sizes);
    var call = code.slice(code.indexOf(" = ") + 3, code.lastIndexOf("(inputs)"));
    announce(
      call + " returns " + returnsText(entry.call_returns, outputs.length, "tensor") + ": " +
        names.join(", ") + "."
    );

    var table = el("table", undefined, "lstm-table lstm-explorer-returns");
    table.appendChild(el("caption", "What the call returns, in order (symbolic shapes: batch is None)"));
    var head = table.createTHead().insertRow();
    ["#", "name", "role", "shape"].forEach(function (text) {
      var th = el("th", text);
      th.scope = "col";
      head.appendChild(th);
    });
    var body = table.createTBody();
    outputs.forEach(function (o, index) {
      var row = body.insertRow();
      var dims = o[2].map(function (term) {
        return term === "batch" ? "None" : String(axis(term, sizes));
      });
      [String(index), o[0], data.roles[o[1]], shapeText(dims)].forEach(function (text, i) {
        var cell = el(i === 1 ? "th" : "td", text);
        if (i === 1) {
          cell.scope = "row";
        }
        if (i === 0) {
          cell.className = "num";
        }
        row.appendChild(cell);
      });
    });
    details.appendChild(table);

    details.appendChild(el("p", "The line of Keras:"));
    details.appendChild(
      codeBlock(["import keras", "", fill(data.inputs[c.layer], sizes), code])
    );

    var inputShape = sizeNames(c.layer).slice(0, -1).map(function (name) {
      return sizes[name];
    });
    var modelOutputs = names.length === 1 ? names[0] : "(" + names.join(", ") + ")";
    details.appendChild(
      el("p", "And through a model, on a batch x of shape " + shapeText(inputShape) + ":")
    );
    details.appendChild(
      codeBlock(
        [
          "model = keras.Model(inputs, " + modelOutputs + ")",
          names.join(", ") + " = model.predict(x)"
        ]
      )
    );
    var arrays = outputs.map(function (o) {
      return o[0] + " " + shapeText(o[2].map(function (term) {
        return axis(term, sizes);
      }));
    });
    details.appendChild(
      el(
        "p",
        "predict returns " + returnsText(entry.predict_returns, outputs.length, "NumPy array") +
          ": " + arrays.join(", ") + ".",
        "lstm-explorer-predict"
      )
    );
    details.appendChild(
      el(
        "p",
        "Computed by calling Keras " + data.keras_version + " (" + data.backend +
          " backend) on every combination while this page was built.",
        "lstm-explorer-source"
      )
    );
  }

  /* The choice, in the query string, so that a link brings it back. */
  function writeUrl(c) {
    var params = new URLSearchParams();
    params.set("layer", c.layer);
    params.set("return_sequences", c.sequences ? "1" : "0");
    params.set("return_state", c.state ? "1" : "0");
    if (c.bidirectional) {
      params.set("merge_mode", c.merge);
    }
    sizeNames(c.layer).forEach(function (name) {
      params.set(name, field(name).value.trim());
    });
    var url = "?" + params.toString() + window.location.hash;
    if (url !== window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", url);
    }
  }

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var layer = params.get("layer");
    if (data.layers.indexOf(layer) >= 0) {
      field("layer").value = layer;
    }
    ["return_sequences", "return_state"].forEach(function (flag) {
      var value = params.get(flag);
      if (value === "0" || value === "1") {
        field(flag).checked = value === "1";
      }
    });
    var merge = params.get("merge_mode");
    if (data.merge_modes.indexOf(merge) >= 0) {
      field("bidirectional").checked = true;
      field("merge_mode").value = merge;
    }
    Object.keys(data.sizes).forEach(function (name) {
      data.sizes[name].forEach(function (size) {
        var value = params.get(size);
        if (value !== null && /^[0-9]+$/.test(value)) {
          field(size).value = value;
        }
      });
    });
  }

  readUrl();
  form.addEventListener("input", render);
  form.addEventListener("change", render);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  form.hidden = false;
  result.hidden = false;
  every.open = false;
  render();
})();
