/*
 * Level-2 photo page (views/level2/photo.eta): progressive enhancement only. Without this script the page works as a
 * plain form: the file field opens the front camera on phones (capture="user") or a file chooser elsewhere.
 *
 * With it:
 *  - "Use the camera" shows the front camera (getUserMedia); "Take the photo" draws one frame on a canvas, at most
 *    1280 px on its longer side, and puts it in the file field as a JPEG, so the form posts it like a chosen file;
 *  - a chosen file larger than 1280 px is scaled down the same way before it is sent (smaller upload, and the server's
 *    face matcher works at that size anyway: docs/biometrics.md).
 * Nothing leaves the page except through the form's own submit button. The camera stops as soon as the photo is taken.
 * Loaded from our origin only (CSP script-src 'self'); no inline script, no inline handlers.
 */
(function () {
  'use strict';

  var MAX_SIDE = 1280;
  var JPEG_QUALITY = 0.9;

  var form = document.querySelector('form[data-level2-photo]');
  if (!form) return;
  var input = form.querySelector('input[type="file"][name="photo"]');
  var camera = form.querySelector('[data-camera]');
  if (!input || !camera) return;

  // A canvas can only reach the form through the file field, which needs DataTransfer; without it the field stays as is.
  var canReplaceFiles = false;
  try {
    canReplaceFiles = typeof DataTransfer === 'function' && new DataTransfer().items !== undefined;
  } catch (error) {
    canReplaceFiles = false;
  }
  if (!canReplaceFiles) return;

  var status = camera.querySelector('[data-camera-status]');
  var video = camera.querySelector('[data-camera-video]');
  var preview = camera.querySelector('[data-camera-preview]');
  var startButton = camera.querySelector('[data-camera-start]');
  var captureButton = camera.querySelector('[data-camera-capture]');
  var retakeButton = camera.querySelector('[data-camera-retake]');
  var messages = {};
  var template = camera.querySelector('template[data-camera-messages]');
  if (template && template.content) {
    Array.prototype.forEach.call(template.content.querySelectorAll('[data-message]'), function (element) {
      messages[element.getAttribute('data-message')] = element.textContent;
    });
  }
  var stream = null;

  function say(name) {
    if (status) status.textContent = messages[name] || '';
  }

  function stopCamera() {
    if (stream) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
      stream = null;
    }
    if (video) video.srcObject = null;
  }

  /** Draws `source` (width x height) on the preview canvas, scaled so that its longer side is at most MAX_SIDE. */
  function drawScaled(source, width, height) {
    var scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    preview.width = Math.max(1, Math.round(width * scale));
    preview.height = Math.max(1, Math.round(height * scale));
    preview.getContext('2d').drawImage(source, 0, 0, preview.width, preview.height);
  }

  /** Puts the canvas in the file field as a JPEG; `done` runs once it is there. */
  function useCanvas(name, done) {
    preview.toBlob(
      function (blob) {
        if (!blob) return;
        var transfer = new DataTransfer();
        transfer.items.add(new File([blob], name, { type: 'image/jpeg', lastModified: Date.now() }));
        input.files = transfer.files;
        done();
      },
      'image/jpeg',
      JPEG_QUALITY,
    );
  }

  // A chosen file larger than MAX_SIDE: scaled down in the page (the EXIF orientation applied, as phones store photos
  // sideways). Anything the browser cannot decode is left alone: the server says what is wrong with it.
  input.addEventListener('change', function () {
    var file = input.files && input.files[0];
    if (!file || typeof window.createImageBitmap !== 'function') return;
    window
      .createImageBitmap(file, { imageOrientation: 'from-image' })
      .then(function (bitmap) {
        var large = Math.max(bitmap.width, bitmap.height) > MAX_SIDE;
        if (large) drawScaled(bitmap, bitmap.width, bitmap.height);
        if (typeof bitmap.close === 'function') bitmap.close();
        if (!large) return;
        useCanvas('photo.jpg', function () {
          say('resized');
        });
      })
      .catch(function () {
        /* not decodable here: sent as it is */
      });
  });

  if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== 'function') return;
  camera.hidden = false;

  startButton.addEventListener('click', function () {
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'user', width: { ideal: MAX_SIDE }, height: { ideal: 720 } }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        preview.hidden = true;
        startButton.hidden = true;
        retakeButton.hidden = true;
        captureButton.hidden = false;
        return video.play().then(function () {
          say('ready');
          captureButton.focus();
        });
      })
      .catch(function () {
        stopCamera();
        say('denied');
      });
  });

  captureButton.addEventListener('click', function () {
    if (!stream || !video.videoWidth) return;
    drawScaled(video, video.videoWidth, video.videoHeight);
    stopCamera();
    video.hidden = true;
    preview.hidden = false;
    captureButton.hidden = true;
    retakeButton.hidden = false;
    useCanvas('camera.jpg', function () {
      say('taken');
    });
  });

  retakeButton.addEventListener('click', function () {
    input.value = '';
    startButton.click();
  });

  window.addEventListener('pagehide', stopCamera);
})();
